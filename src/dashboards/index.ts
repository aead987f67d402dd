export { DASHBOARD_FORMATTERS, formatDashboardLink, type DashboardLinkRequest } from './format-link.ts';
export {
  withDashboardLinks,
  type ClusterDashboardLinks,
  type ClusterObjectsWithLinks,
  type ObjectDashboardLink,
  type ObjectsWithDashboardLinks,
} from './with-dashboard-links.ts';
