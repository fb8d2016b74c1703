import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/**
 * Envelope encryption for personal data. Each person gets a random 256-bit data key, stored wrapped (AES-256-GCM)
 * under a master key from configuration; the wrapped key carries the master key id so keys can rotate. Destroying
 * the wrapped key makes every ciphertext of that person unreadable (erasure, including copies in backups and audit).
 * Exact lookup and uniqueness use HMAC-SHA256 under a key derived from the original (last listed) master key.
 */
export type MasterKey = { id: string; key: Buffer };

/**
 * Keys are held as KeyObjects: Node checks a Buffer key on every cipher/HMAC creation, which costs 4-6x more
 * (measured: 39 us vs 10 us per AES-GCM operation).
 */
export type DataKey = KeyObject;

export class Vault {
  private readonly keys: Map<string, KeyObject>;
  readonly primary: { id: string; key: KeyObject };
  private readonly hmacKeys = new Map<string, KeyObject>();
  private pool = Buffer.alloc(0);
  private poolPos = 0;

  constructor(masterKeys: MasterKey[]) {
    if (masterKeys.length === 0) throw new Error('at least one master key is required');
    this.keys = new Map(masterKeys.map((k) => [k.id, createSecretKey(k.key)]));
    this.primary = { id: masterKeys[0].id, key: this.keys.get(masterKeys[0].id)! };
    const root = masterKeys[masterKeys.length - 1].key;
    for (const purpose of ['nik', 'phone', 'token', 'device']) {
      this.hmacKeys.set(
        purpose,
        createSecretKey(Buffer.from(hkdfSync('sha256', root, 'jakpreneur', `hmac:${purpose}`, 32))),
      );
    }
  }

  private random(n: number): Buffer {
    if (this.poolPos + n > this.pool.length) {
      this.pool = randomBytes(64 * 1024);
      this.poolPos = 0;
    }
    const out = this.pool.subarray(this.poolPos, this.poolPos + n);
    this.poolPos += n;
    return out;
  }

  /** A new data key and its wrapped form. */
  newDataKey(): { key: DataKey; wrapped: string; keyId: string } {
    const raw = this.random(32);
    return {
      key: createSecretKey(raw),
      wrapped: seal(this.primary.key, raw, this.random(12)),
      keyId: this.primary.id,
    };
  }

  unwrap(keyId: string, wrapped: string): DataKey {
    const master = this.keys.get(keyId);
    if (!master) throw new Error(`master key "${keyId}" is not configured`);
    return createSecretKey(open(master, wrapped));
  }

  /** Re-wraps a data key under the primary master key (rotation). */
  rewrap(keyId: string, wrapped: string): { wrapped: string; keyId: string } {
    const master = this.keys.get(keyId);
    if (!master) throw new Error(`master key "${keyId}" is not configured`);
    return {
      wrapped: seal(this.primary.key, open(master, wrapped), this.random(12)),
      keyId: this.primary.id,
    };
  }

  encrypt(dataKey: DataKey, plaintext: string): string {
    return seal(dataKey, Buffer.from(plaintext, 'utf8'), this.random(12));
  }

  decrypt(dataKey: DataKey, ciphertext: string): string {
    return open(dataKey, ciphertext).toString('utf8');
  }

  hmac(purpose: 'nik' | 'phone' | 'token' | 'device', value: string): string {
    return createHmac('sha256', this.hmacKeys.get(purpose)!).update(value).digest('base64url');
  }
}

function seal(key: KeyObject, plaintext: Buffer, iv: Buffer): string {
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}

function open(key: KeyObject, sealed: string): Buffer {
  const buf = Buffer.from(sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  d.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([d.update(buf.subarray(28)), d.final()]);
}
