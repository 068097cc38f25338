import { readFileSync } from 'node:fs';
import { hashPassword } from '../server/chat-service/auth/password-hash';

// stdin keeps the password out of shell history and the process list.
const password = process.argv[2] ?? readFileSync(0, 'utf8').replace(/\r?\n$/, '');
if (password) {
  console.log(hashPassword(password));
} else {
  console.error('usage: hash-password <password>, or the password on stdin');
  process.exitCode = 1;
}
