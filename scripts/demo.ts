// `npm start`: the example retraining workflow (examples/workflows/retrain.yml) on the local
// emulator, each step's dist bundle run as the GitHub runner runs it, outputs chained as
// `${{ steps.x.outputs.y }}` chains them, every step's job summary printed for the terminal.
// Exits non-zero when a step fails. `--keep` leaves the emulator running afterwards and prints
// how to point one's own workflow steps at it; `--workflow <file>` runs another workflow;
// `--state-dir <dir>` puts the emulator state elsewhere (default .emulator/, wiped first);
// `--runs <n>` runs the workflow n times (default 2: the first finds nothing in production, the
// second retrains against the model the first put there: a gate against a champion, a 10% canary
// beside it, then the promotion).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { oidcConnection } from '../test/support/connection';
import { combinedCaBundle, startEmulatorProcess } from '../test/support/emulator';
import { registerExampleEnvironment } from '../test/support/examples';
import { readWorkflow, runWorkflow, type StepRun } from './workflow-runner';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
};
const keep = argv.includes('--keep');
const workflowFile = path.resolve(repoRoot, option('--workflow') ?? 'examples/workflows/retrain.yml');
const stateDir = path.resolve(repoRoot, option('--state-dir') ?? '.emulator');
const runCount = Number(option('--runs') ?? '2');

/** A job summary (GitHub Markdown) as terminal text: headings, lists and tables kept, HTML dropped. */
export function summaryForTerminal(markdown: string): string {
  return markdown
    .replace(/```mermaid[\s\S]*?```/g, '(a chart: drawn as a graph in the GitHub job summary)')
    .replace(/<summary>(.*?)<\/summary>/g, '▸ $1')
    .replace(/<\/?(details|summary|br|p|b|code)[^>]*>/g, '')
    .replace(
      /^#{1,6}\s+(.*)$/gm,
      (_, title: string) => `${title}\n${'─'.repeat(Math.min(title.length, 100))}`,
    )
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

rmSync(stateDir, { recursive: true, force: true });
const started = Date.now();
const emulator = await startEmulatorProcess({ stateDir });
let failed = false;
try {
  const { info } = emulator;
  const caBundle = path.join(stateDir, 'ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(info.caCertPath));
  console.log(`▶ Emulator: workspace ${info.workspace} at ${info.armEndpoint} (state in ${stateDir})`);
  // What `az ml environment create -f examples/environments/python-stdlib.yml` does once per workspace.
  await registerExampleEnvironment(oidcConnection(info));
  console.log('▶ Set-up: environment python-stdlib:1 registered (az ml environment create)');

  const workflow = readWorkflow(readFileSync(workflowFile, 'utf8'));
  console.log(
    `▶ Workflow ${workflow.name ?? path.basename(workflowFile)} (${path.relative(repoRoot, workflowFile)})`,
  );
  const runs: StepRun[] = [];
  for (let round = 1; round <= runCount && !failed; round += 1) {
    if (runCount > 1)
      console.log(
        `\n════ Run ${round} of ${runCount}${round === 1 ? ': nothing is in production yet' : ': a retrain against the model in production'}`,
      );
    const roundRuns = await runWorkflow(workflow, {
      repoRoot,
      extraInputs: {
        cloud: 'Custom',
        'arm-endpoint': info.armEndpoint,
        'authority-host': info.authorityHost,
      },
      vars: {
        AZURE_SUBSCRIPTION_ID: info.inputs['subscription-id'],
        AZURE_RESOURCE_GROUP: info.inputs['resource-group'],
        AZUREML_WORKSPACE: info.inputs.workspace,
        AZURE_CLIENT_ID: info.inputs['client-id'],
        AZURE_TENANT_ID: info.inputs['tenant-id'],
        // A different training length per run, so the second run has a new model to roll out.
        TRAIN_EPOCHS: String(100 + 100 * round),
      },
      env: { NODE_EXTRA_CA_CERTS: caBundle },
      oidc: info.oidc,
      github: { repository: 'your-org/machine-failures', runId: String(4100 + round) },
      onJob: (job, environment) =>
        console.log(
          `\n━━ job ${job}${environment ? ` (environment ${environment}: its approval is granted at once in the demo)` : ''}`,
        ),
      onSkip: (job, step, why) =>
        console.log(`\n• ${job}/${step.uses ?? step.name ?? 'run'}: skipped, ${why}`),
      onStep: (run: StepRun) => {
        const { result } = run;
        const mark = result.conclusion === 'success' ? '✓' : '✗';
        console.log(
          `\n${mark} ${run.job}/${run.step} (${run.action}) ${result.conclusion} in ${(result.durationMs / 1000).toFixed(1)} s`,
        );
        if (result.summary.trim()) console.log(indent(summaryForTerminal(result.summary)));
        if (result.conclusion !== 'success') {
          const tail = result.log.slice(-40).map((line) => line.text);
          console.log(indent(['Last lines of the step log:', ...tail].join('\n')));
        }
      },
    });
    runs.push(...roundRuns);
    failed = roundRuns.some((run) => run.result.conclusion !== 'success');
  }
  console.log(
    `\n${failed ? '✗ The workflow failed' : '✓ The workflow completed'}: ${runs.length} steps in ${((Date.now() - started) / 1000).toFixed(0)} s. Emulator state: ${stateDir}`,
  );
  if (keep && !failed) {
    console.log('\nThe emulator keeps running (Ctrl-C stops it). Point a step at it with these inputs:');
    console.log(indent(JSON.stringify(info.inputs, null, 2)));
    console.log(`and this environment:\n    NODE_EXTRA_CA_CERTS=${caBundle}`);
    console.log(`    ACTIONS_ID_TOKEN_REQUEST_URL=${info.oidc.requestUrl}`);
    console.log(`    ACTIONS_ID_TOKEN_REQUEST_TOKEN=${info.oidc.requestToken}`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
} finally {
  await emulator.stop();
}
process.exitCode = failed ? 1 : 0;
