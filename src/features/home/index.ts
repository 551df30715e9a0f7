// The public front door: the home page that says what Teamlens is. It owns no data and
// depends on nothing but the view layer.
import { createHomePagesRouter } from './home.pages';

export function createHomeModule() {
  return { pagesRouter: createHomePagesRouter() };
}
