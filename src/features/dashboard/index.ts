// Dashboard: the coach's start page, composing teams, rounds and response counts. Owns no data.
export { createDashboardPagesRouter } from './dashboard.pages';
