import { lazy } from 'react';
import MenuBookIcon from '@mui/icons-material/MenuBook';
import { GlossaryList } from './GlossaryList';

// Only reviewers and admins write: their forms stay out of the initial bundle.
const GlossaryCreate = lazy(() => import('./GlossaryCreate').then((m) => ({ default: m.GlossaryCreate })));
const GlossaryEdit = lazy(() => import('./GlossaryEdit').then((m) => ({ default: m.GlossaryEdit })));

export default {
  list: GlossaryList,
  create: GlossaryCreate,
  edit: GlossaryEdit,
  show: undefined,
  icon: MenuBookIcon,
  recordRepresentation: 'term',
};
