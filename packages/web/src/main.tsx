import '@mantine/core/styles.css';
import { Container, MantineProvider, Text, Title } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <Container py="xl">
      <Title order={1}>Asistone</Title>
      <Text>Gelen kutusu, mağaza ve kampanyalar tek yerde.</Text>
    </Container>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider>
      <App />
    </MantineProvider>
  </StrictMode>,
);
