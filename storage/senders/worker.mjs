// Entry of the sender-recovery worker thread: TypeScript is loaded through tsx, as bin/zkos.js does.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
