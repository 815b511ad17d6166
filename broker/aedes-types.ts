// Aedes' handler types are not exported by name; derive them from its options.
import type { AedesOptions } from 'aedes';

export type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;
export type AuthorizeForwardHandler = NonNullable<AedesOptions['authorizeForward']>;
export type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;
export type AuthorizeSubscribeHandler = NonNullable<AedesOptions['authorizeSubscribe']>;
export type PreConnectHandler = NonNullable<AedesOptions['preConnect']>;
