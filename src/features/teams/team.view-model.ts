import type { FormErrors } from '../../shared/views/forms';
import { toFields, type FieldSpec } from '../../shared/views/forms';
import { hasRole, type Role } from '../workspaces';
import { MAX_TAG_LENGTH, MAX_TAGS, type Team } from './team.types';

export const TEAM_FIELDS: readonly FieldSpec[] = [
  { name: 'name', label: 'Team name', required: true, maxlength: 80 },
  {
    name: 'tags',
    label: 'Tags',
    hint: `Comma-separated, for grouping comparisons, e.g. "tribe: payments, site: Lyon": up to ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters each.`,
    maxlength: MAX_TAGS * (MAX_TAG_LENGTH + 2),
  },
  {
    name: 'expectedSize',
    label: 'Expected size (optional)',
    type: 'number',
    hint: 'How many people the team has: its rounds then show how many of them answered.',
  },
  {
    name: 'members',
    label: 'Members’ e-mail addresses (optional)',
    hint: 'One per line, or separated by commas: a round’s invitations page then offers to invite them all.',
    multiline: true,
    rows: 4,
  },
];

export function teamUrl(teamId: string): string {
  return `/teams/${encodeURIComponent(teamId)}`;
}

export function toTeamForm(form: { values?: Record<string, string>; errors?: FormErrors }) {
  return { fields: toFields(TEAM_FIELDS, form), errors: form.errors };
}

export function teamFormValues(team: Team): Record<string, string> {
  return {
    name: team.name,
    tags: team.tags.join(', '),
    expectedSize: team.expectedSize === null ? '' : String(team.expectedSize),
    members: team.members.join('\n'),
  };
}

export function toTeamSummary(team: Team) {
  return {
    id: team.id,
    name: team.name,
    tags: team.tags,
    expectedSize: team.expectedSize,
    archived: team.archivedAt !== null,
    url: teamUrl(team.id),
  };
}

/** The API's view of a team; its members' addresses for coaches only. */
export function toTeamDto(team: Team, role: Role) {
  return {
    id: team.id,
    name: team.name,
    tags: [...team.tags],
    expectedSize: team.expectedSize,
    ...(hasRole(role, 'coach') ? { members: [...team.members] } : {}),
    archived: team.archivedAt !== null,
    createdAt: team.createdAt.toISOString(),
  };
}
