// The plain app with the default entry (Rollup + node-resolve, webpack, esbuild).
import * as entry from 'nexudus-auth';
import { runPlainApp } from './plain.js';

runPlainApp(entry);
