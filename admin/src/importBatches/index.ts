import UploadFileIcon from '@mui/icons-material/UploadFile';
import { ImportBatchList } from './ImportBatchList';

export default {
  list: ImportBatchList,
  icon: UploadFileIcon,
  recordRepresentation: (r: { id: number; name?: string | null }) => r.name || `Import #${r.id}`,
};
