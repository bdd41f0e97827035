import DownloadIcon from '@mui/icons-material/Download';
import { ExportBatchList } from './ExportBatchList';

export default {
  list: ExportBatchList,
  icon: DownloadIcon,
  recordRepresentation: (r: { id: number; format?: string }) => `Export #${r.id}${r.format ? ` (${r.format})` : ''}`,
};
