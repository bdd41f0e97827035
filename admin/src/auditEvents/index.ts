import { lazy } from 'react';
import PolicyIcon from '@mui/icons-material/Policy';

const AuditEventList = lazy(() => import('./AuditEventList'));

export default {
  list: AuditEventList,
  icon: PolicyIcon,
  recordRepresentation: 'action',
};
