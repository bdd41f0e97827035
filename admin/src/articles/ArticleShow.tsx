import { Show } from 'react-admin';
import { ArticleWorkspace } from './ArticleWorkspace';

/** The article page without edit controls (auditors). */
export function ArticleShow() {
  return (
    <Show actions={false} component="div" title="Article">
      <ArticleWorkspace readOnly />
    </Show>
  );
}
