import { lazy } from 'react';
import ArticleIcon from '@mui/icons-material/Article';
import { ArticleList } from './ArticleList';

// The editor and its history/diff code are the heaviest pages: loaded on demand.
const ArticleEdit = lazy(() => import('./ArticleEdit').then((m) => ({ default: m.ArticleEdit })));
const ArticleShow = lazy(() => import('./ArticleShow').then((m) => ({ default: m.ArticleShow })));

export default {
  list: ArticleList,
  edit: ArticleEdit,
  show: ArticleShow,
  icon: ArticleIcon,
  recordRepresentation: 'title',
};
