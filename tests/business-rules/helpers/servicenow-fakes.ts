import crypto from 'node:crypto';
import vm from 'node:vm';

/**
 * Faithful fakes of the ServiceNow server-side globals a business rule sees, for running the generated
 * scripts in a Node `vm` context. Behaviour follows the documented APIs (servicenow-api-facts.md §7):
 * getValue returns strings or null for an empty field; generateMac wants a Base64 key and returns
 * Base64; RESTMessageV2 needs a method and an endpoint before execute().
 */

/** Strict Base64 decoding, as Java's decoder: anything but the alphabet and padding throws. */
function base64Decode(text: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new Error(`java.lang.IllegalArgumentException: Illegal base64 character in "${text.slice(0, 8)}…"`);
  }
  return Buffer.from(text, 'base64');
}

const JAVA_ALGORITHMS: Record<string, string> = { HmacSHA256: 'sha256', HmacSHA1: 'sha1', HmacMD5: 'md5' };

/** `generateMac(key, algorithm, data)`: key Base64-decoded to the HMAC key, data as UTF-8, MAC in Base64. */
function generateMac(key: string, algorithm: string, data: string): string {
  const hash = JAVA_ALGORITHMS[algorithm];
  if (!hash) throw new Error(`java.security.NoSuchAlgorithmException: ${algorithm}`);
  if (typeof key !== 'string' || typeof data !== 'string') throw new Error('generateMac: key and data must be strings');
  return crypto.createHmac(hash, base64Decode(key)).update(data, 'utf8').digest('base64');
}

/** A GlideRecord holding one row: `getValue` gives the string value, null when empty or unknown. */
export class FakeGlideRecord {
  constructor(
    private readonly table: string,
    private readonly values: Record<string, string>,
    private readonly op: string | null,
  ) {}

  getValue(field: string): string | null {
    const v = this.values[field];
    return v === undefined || v === '' ? null : String(v);
  }
  getUniqueValue(): string {
    return this.values.sys_id ?? '';
  }
  getTableName(): string {
    return this.table;
  }
  operation(): string | null {
    return this.op;
  }
  isValidRecord(): boolean {
    return true;
  }
}

/** One request a script built with sn_ws.RESTMessageV2 and sent. */
export interface RecordedRequest {
  method: string;
  endpoint: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
  sentWith: 'execute' | 'executeAsync';
}

/** What the fake RESTResponseV2 answers (the tests deliver the real request to a gateway afterwards). */
export interface FakeAnswer {
  status: number;
  body?: string;
  throws?: string;
}

export interface SandboxOptions {
  current: FakeGlideRecord;
  previous?: FakeGlideRecord | null;
  properties: Record<string, string>;
  /** Answer of execute() (default 202). */
  answer?: FakeAnswer;
  /** `global` (GlideCertificateEncryption) or `scoped` (CertificateEncryption only). */
  scope?: 'global' | 'scoped';
}

export interface SandboxRun {
  requests: RecordedRequest[];
  errors: string[];
  infos: string[];
}

function makeRestMessage(requests: RecordedRequest[], answer: FakeAnswer) {
  return class RESTMessageV2 {
    private method = '';
    private endpoint = '';
    private readonly headers: Record<string, string> = {};
    private body = '';
    private timeoutMs?: number;
    constructor(name?: string, methodName?: string) {
      if (name !== undefined || methodName !== undefined) throw new Error('RESTMessageV2: no stored REST message in this fake');
    }
    setHttpMethod(m: string) {
      if (!/^(get|post|put|patch|delete|head)$/i.test(m)) throw new Error(`RESTMessageV2: bad HTTP method ${m}`);
      this.method = m.toUpperCase();
    }
    setEndpoint(url: string) {
      this.endpoint = String(url);
    }
    setRequestHeader(name: string, value: string) {
      if (typeof value !== 'string') throw new Error(`header ${name} must be a string`);
      this.headers[name] = value;
    }
    setRequestBody(body: string) {
      if (typeof body !== 'string') throw new Error('setRequestBody: body must be a string');
      this.body = body;
    }
    setHttpTimeout(ms: number) {
      this.timeoutMs = ms;
    }
    private send(sentWith: RecordedRequest['sentWith']) {
      if (!this.method || !this.endpoint) throw new Error('RESTMessageV2: set the HTTP method and endpoint first');
      requests.push({ method: this.method, endpoint: this.endpoint, headers: { ...this.headers }, body: this.body, timeoutMs: this.timeoutMs, sentWith });
      if (answer.throws) throw new Error(answer.throws);
      return {
        getStatusCode: () => answer.status,
        getBody: () => answer.body ?? '',
        getErrorMessage: () => (answer.status >= 400 ? `HTTP ${answer.status}` : null),
        haveError: () => answer.status >= 400,
        waitForResponse: () => undefined,
      };
    }
    execute() {
      return this.send('execute');
    }
    executeAsync() {
      return this.send('executeAsync');
    }
  };
}

/** Runs a business-rule script as ServiceNow would: the script's IIFE with current/previous and the Glide globals. */
export function runBusinessRule(script: string, options: SandboxOptions): SandboxRun {
  const run: SandboxRun = { requests: [], errors: [], infos: [] };
  const scope = options.scope ?? 'global';
  const common = {
    getProperty: (key: string, alt?: string) => (key in options.properties ? options.properties[key] : alt),
    base64Encode: (s: string) => Buffer.from(s, 'utf8').toString('base64'),
    base64Decode: (s: string) => base64Decode(s).toString('utf8'),
    generateGUID: () => crypto.randomBytes(16).toString('hex'),
  };
  // Each scope's logging API only: global gs.log / logError / logWarning (message, source); scoped
  // gs.error / warn / info / debug. Calling the other scope's API throws, as "not a function" would.
  const gs = scope === 'global'
    ? {
      ...common,
      log: (msg: string, source?: string) => run.infos.push(`${source ?? ''}: ${String(msg)}`),
      logError: (msg: string, source?: string) => run.errors.push(`${source ?? ''}: ${String(msg)}`),
      logWarning: (msg: string, source?: string) => run.infos.push(`${source ?? ''}: ${String(msg)}`),
    }
    : {
      ...common,
      error: (msg: string) => run.errors.push(String(msg)),
      warn: (msg: string) => run.infos.push(String(msg)),
      info: (msg: string) => run.infos.push(String(msg)),
      debug: (msg: string) => run.infos.push(String(msg)),
    };
  const context: Record<string, unknown> = {
    current: options.current,
    previous: options.previous ?? null,
    gs,
    GlideStringUtil: { base64Encode: gs.base64Encode, base64Decode: gs.base64Decode },
    GlideDateTime: class {
      getValue() {
        return new Date().toISOString().slice(0, 19).replace('T', ' ');
      }
    },
    sn_ws: { RESTMessageV2: makeRestMessage(run.requests, options.answer ?? { status: 202 }) },
  };
  if (scope === 'global') {
    context.GlideCertificateEncryption = class {
      generateMac(key: string, algorithm: string, data: string) {
        return generateMac(key, algorithm, data);
      }
    };
  } else {
    context.CertificateEncryption = { generateMac };
  }
  vm.runInNewContext(script, context, { filename: 'business-rule.js', timeout: 1000 });
  return run;
}
