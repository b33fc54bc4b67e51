/**
 * Keeps secrets out of what the MCP server hands an agent: function environment values, message
 * bodies and message attributes. A value is hidden when its name says it is secret, or when the
 * value itself looks like a credential (AWS keys, tokens, private keys, passwords in URLs).
 *
 * @module
 */

export const REDACTED = '[redacted]';

/** How much of a message body is shown. */
export const BODY_LIMIT = 1_000;

const SECRET_NAME = /secret|passw(or)?d|\bpwd\b|_pwd|pwd_|token|api[-_]?key|apikey|private[-_]?key|access[-_]?key|credential|auth|session|signature|cookie|connection[-_]?string|\bdsn\b|_dsn/i;

const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /\b(AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b/, // AWS access key IDs
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, // JWTs
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, // credentials in a URL
  /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{12,}/i,
  /\b(ghp|gho|ghs|github_pat|xox[baprs]|sk_live|sk_test|rk_live)_?[A-Za-z0-9_-]{10,}/, // well-known token prefixes
];

/**
 * A long run of base64 characters with letters and digits and no word separators: a key or a token
 * rather than a name (physical resource names such as `dev-orders-OrdersTable-1AB2` have dashes).
 */
const OPAQUE_TOKEN = /^[A-Za-z0-9+/=]{32,}$/;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function looksLikeSecret(value: string): boolean {
  if (SECRET_VALUE_PATTERNS.some((p) => p.test(value))) return true;
  const trimmed = value.trim();
  return OPAQUE_TOKEN.test(trimmed) && /[0-9]/.test(trimmed) && /[A-Za-z]/.test(trimmed);
}

/** Environment variables with every secret-looking value replaced by {@link REDACTED}. */
export function redactEnvironment(variables: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out[name] = isSecretName(name) || looksLikeSecret(value) ? REDACTED : value;
  }
  return out;
}

/** Message attributes (SQS or SNS shapes) with secret-looking values hidden; values become strings. */
export function redactAttributes(attributes: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    const value = attributeValue(attribute);
    out[name] = isSecretName(name) || looksLikeSecret(value) ? REDACTED : truncate(value, 200);
  }
  return out;
}

function attributeValue(attribute: unknown): string {
  if (typeof attribute === 'string') return attribute;
  if (attribute && typeof attribute === 'object') {
    const a = attribute as Record<string, unknown>;
    for (const key of ['StringValue', 'stringValue', 'Value', 'value']) {
      if (typeof a[key] === 'string') return a[key];
    }
    if (a.BinaryValue !== undefined || a.binaryValue !== undefined) return '(binary)';
  }
  return JSON.stringify(attribute) ?? '';
}

/**
 * A message body fit to show: JSON keeps its shape with secret fields hidden; any text has
 * credential-looking runs hidden; the result is cut at `limit` characters.
 */
export function redactBody(body: string, limit = BODY_LIMIT): string {
  let text = body;
  try {
    text = JSON.stringify(redactJson(JSON.parse(body) as unknown));
  } catch {
    // Not JSON: redact it as text.
  }
  return truncate(redactText(text), limit);
}

function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 20) return value;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretName(k) && v !== null && typeof v !== 'object' ? REDACTED : redactJson(v, depth + 1)]));
  }
  if (typeof value === 'string') {
    // An SNS envelope or an OnFailure record may carry a JSON document as a string.
    if (/^\s*[[{]/.test(value)) {
      try {
        return JSON.stringify(redactJson(JSON.parse(value) as unknown, depth + 1));
      } catch {
        // Not JSON after all.
      }
    }
    return looksLikeSecret(value) && !value.includes(' ') ? REDACTED : value;
  }
  return value;
}

/** Hides credential-looking runs inside free text. */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`), REDACTED);
  return out;
}

export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}
