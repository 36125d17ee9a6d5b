// Names for the contract's schemas; every type comes from the generated schema.d.ts, so a
// change to api/openapi.yaml that the dashboard does not follow breaks `tsc --noEmit`.
import type { components, operations } from './schema';

type Schemas = components['schemas'];
export type Workspace = Schemas['Workspace'];
export type WorkspaceStatus = Schemas['WorkspaceStatus'];
export type WorkspaceLimits = Schemas['WorkspaceLimits'];
export type WorkspaceRepository = NonNullable<Schemas['WorkspaceRepository']>;
export type RepositoryRequest = Schemas['RepositoryRequest'];
export type WorkspaceList = Schemas['WorkspaceList'];
export type CreateWorkspaceRequest = Schemas['CreateWorkspaceRequest'];
export type Port = Schemas['Port'];
export type PortList = Schemas['PortList'];
export type AddPortRequest = Schemas['AddPortRequest'];
export type Snapshot = Schemas['Snapshot'];
export type SnapshotList = Schemas['SnapshotList'];
export type Health = Schemas['Health'];
export type ApiToken = Schemas['ApiToken'];
export type NewApiToken = Schemas['NewApiToken'];
export type ApiTokenList = Schemas['ApiTokenList'];
export type Me = Schemas['Me'];
export type Session = Schemas['Session'];
export type SessionsEnded = Schemas['SessionsEnded'];
export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type UserList = Schemas['UserList'];
export type ApiErrorBody = Schemas['Error'];
export type ErrorCode = ApiErrorBody['error']['code'];

/** The JSON body an operation answers with for one status code. */
export type ResponseOf<
  Op extends keyof operations,
  Code extends keyof operations[Op]['responses'],
> = operations[Op]['responses'][Code] extends { content: { 'application/json': infer B } }
  ? B
  : never;

/** The JSON request body an operation takes. */
export type RequestOf<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;
