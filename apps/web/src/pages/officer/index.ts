// The officer pages, loaded together on demand (one chunk): they share the sign-in gate and most of their parts.
export { OfficerLayout } from './officer-layout';
export { ProspectPage } from './prospect-page';
export { ScreeningPage } from './screening-page';
export { ScreeningsListPage } from './screenings-list-page';
