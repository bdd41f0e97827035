export const ROLE_CHOICES = [
  { id: 'editor', name: 'Editor — edits and submits' },
  { id: 'reviewer', name: 'Reviewer — also approves' },
  { id: 'auditor', name: 'Auditor — reads everything' },
  { id: 'admin', name: 'Admin — everything' },
];
