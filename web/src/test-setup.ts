// Component tests: unmount what a test rendered (vitest runs without globals, so RTL cannot hook in itself).
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());
