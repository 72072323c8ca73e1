#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx strips types at load; no build step to forget).
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
