export { DASHBOARD_FORMATTERS, formatDashboardLink, type DashboardLinkRequest } from './format-link.ts';
export { withDashboardLinks } from './with-dashboard-links.ts';
