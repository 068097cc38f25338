import { writeFileSync } from 'node:fs';
import { chatServiceVersion } from '../server/chat-service/chat-service-server';
import { openApiText } from '../server/chat-service/openapi/openapi-document';

// Run from the project root: rewrites the committed description after the schemas changed.
const file = process.argv[2] ?? 'docs/openapi.json';
writeFileSync(file, openApiText(chatServiceVersion));
console.log(`${file} written`);
