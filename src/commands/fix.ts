// `mtls-fix fix`: the command lives beside its library (src/fix/command.ts).
export { default } from '../fix/command.js';
