import path from 'node:path';

/**
 * The repository root, the same whether the code runs from `src/` (tsx, ts-jest) or from
 * `dist/` (compiled): both sit one level below it. Runtime files that `tsc` does not emit
 * (views, static files, questionnaire content, the Go launcher) are found from here.
 */
export const ROOT = path.resolve(__dirname, '..');
export const VIEWS_DIR = path.join(ROOT, 'views');
export const PUBLIC_DIR = path.join(ROOT, 'public');
export const CONTENT_DIR = path.join(ROOT, 'content');
export const FERRETDB_LAUNCHER_DIR = path.join(ROOT, 'tools', 'ferretdb-launcher');
