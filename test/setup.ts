// The fast hash backends load WebAssembly asynchronously; the machine itself stays synchronous.
import { initCrypto } from '../machine/crypto/index.ts';

await initCrypto();
