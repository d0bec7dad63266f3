// The workspace's data-plane clients (MLflow tracking, run history), found through discovery once.
import {
  type DataPlaneClients,
  discoverWorkspaceServices,
  RunHistoryClient,
  type WorkspaceServices,
} from '../jobs/run-history';
import { MlflowClient } from '../metrics/mlflow-client';
import type { WorkspaceSession } from './workspace-session';

export interface WorkspaceDataPlane {
  services: WorkspaceServices;
  mlflow: MlflowClient;
  history: RunHistoryClient;
}

export async function connectDataPlane(
  session: Pick<WorkspaceSession, 'clients' | 'workspace' | 'dataPlane'>,
  abortSignal?: AbortSignal,
): Promise<WorkspaceDataPlane> {
  const dataPlane: DataPlaneClients = session.dataPlane;
  const services = await discoverWorkspaceServices(session.clients.rest, session.workspace, {
    dataPlane,
    abortSignal,
  });
  return {
    services,
    mlflow: new MlflowClient(dataPlane.forUrl(services.mlflowTrackingUri), services.mlflowTrackingUri),
    history: new RunHistoryClient(
      dataPlane.forUrl(services.historyEndpoint),
      services.historyEndpoint,
      session.workspace,
    ),
  };
}
