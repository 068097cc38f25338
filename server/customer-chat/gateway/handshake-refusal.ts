/**
 * The reason CustomerChat gives a page whose origin is not in CrossDomainAllowIpAddress when it
 * refuses its socket's handshake. Plain text with no imports: the toolbox bundle shares it, and
 * recognizes the refusal by it (any other refusal is taken for a passing failure).
 */
export const originRefusal = 'OriginNotAllowed: this site is not in CrossDomainAllowIpAddress.';
