import { Box, Typography } from '@mui/material';
import { Login, LoginForm } from 'react-admin';

/** react-admin's login page with the product name and full-width fields. */
export function LoginPage() {
  return (
    <Login sx={{ background: 'linear-gradient(160deg, #1f4e79 0%, #0f2740 100%)' }}>
      <Box sx={{ px: 2, pt: 1, textAlign: 'center' }}>
        <Typography variant="h5" component="h1" sx={{ fontFamily: 'Georgia, serif', fontWeight: 600 }}>
          Copydesk
        </Typography>
        <Typography variant="body2" color="text.secondary">
          Sign in to review translations
        </Typography>
      </Box>
      <LoginForm sx={{ '& .MuiFormControl-root': { width: '100%' } }} />
    </Login>
  );
}
