import { required, SimpleForm, TextArrayInput, TextInput, type SimpleFormProps } from 'react-admin';

/** The fields of a glossary entry; forbidden variants are chips (type one, press Enter). */
export function GlossaryForm(props: Omit<SimpleFormProps, 'children'>) {
  return (
    <SimpleForm {...props} sx={{ maxWidth: 720 }}>
      <TextInput source="term" label="Term" validate={required()} fullWidth helperText="The concept; unique, case-insensitively." />
      <TextInput source="preferred" label="Preferred translation" validate={required()} fullWidth />
      <TextArrayInput source="forbidden" label="Forbidden variants" fullWidth helperText="Type a variant and press Enter. The quality checks flag each one in the text." />
      <TextInput source="sourceTerm" label="Source term" fullWidth helperText="Optional: when the source has it, the text should use the preferred translation." />
      <TextInput source="note" label="Note" multiline minRows={2} fullWidth />
    </SimpleForm>
  );
}
