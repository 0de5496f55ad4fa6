// The plain app with nexudus-auth/web (the .wasm as its own file, loaded with new URL(…, import.meta.url)).
import * as entry from 'nexudus-auth/web';
import { runPlainApp } from './plain.js';

runPlainApp(entry);
