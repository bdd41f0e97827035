import type { ArticleConfirmations as ServerConfirmations } from '../../../../server/services/confirmations';
import type { Wire } from '../../types';

/** GET/POST /api/articles/:id/confirmations, as JSON: the confirmations that hold for the saved text. */
export type ArticleConfirmations = Wire<ServerConfirmations>;
