import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { toFieldIssues } from '../../shared/http/validate';
import { QuestionnaireDefinition } from './questionnaire.schemas';

/**
 * Reads the built-in questionnaires shipped as JSON files (content/questionnaires). This role
 * exists because built-ins are product content, not user data: they are read from disk once,
 * when the app is built, and a broken file stops start-up with every problem listed.
 */
export function loadBuiltinDefinitions(dir: string): QuestionnaireDefinition[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const problems: string[] = [];
  const definitions: QuestionnaireDefinition[] = [];
  for (const name of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    } catch (err) {
      problems.push(
        `${name}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      );
      continue;
    }
    const parsed = QuestionnaireDefinition.safeParse(raw);
    if (!parsed.success) {
      for (const issue of toFieldIssues(parsed.error.issues)) {
        problems.push(`${name}: ${issue.path}: ${issue.message}`);
      }
      continue;
    }
    definitions.push(parsed.data);
  }
  const slugs = definitions.map((d) => d.slug);
  for (const slug of new Set(slugs)) {
    if (slugs.filter((s) => s === slug).length > 1)
      problems.push(`slug "${slug}" is used by several files`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid built-in questionnaires in ${dir}:\n  ${problems.join('\n  ')}`);
  }
  return definitions;
}
