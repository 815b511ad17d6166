import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api/client';
import { Session } from './api/session';
import { App } from './app';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

const session = new Session();
const client = new ApiClient(session);
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
