import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { parseArmErrorBody, redactUrl, toAzureRequestError, withAzureErrors } from '../../src/arm/errors';
import { AzureRequestError } from '../../src/errors';

// The ARM error envelope as recorded from Azure (js-arm-machinelearning recording_job_create_test).
const RECORDED_404 = {
  error: {
    code: 'ParentResourceNotFound',
    message:
      "Can not perform requested operation on nested resource. Parent resource 'myworkspacenamexxx' not found.",
  },
};
const JOB_URL =
  'https://management.azure.com/subscriptions/s/resourceGroups/myjstest/providers/Microsoft.MachineLearningServices/workspaces/myworkspacenamexxx/jobs/string?api-version=2022-10-01';

describe('parseArmErrorBody', () => {
  it.each([
    [JSON.stringify(RECORDED_404), { code: 'ParentResourceNotFound', message: RECORDED_404.error.message }],
    ['{"code": "BadRequest", "message": "bare"}', { code: 'BadRequest', message: 'bare' }],
    [
      JSON.stringify({
        error: {
          code: 'UserError',
          message: 'A required property is missing.',
          details: [{ code: 'Required', message: 'properties.environmentId is required' }],
        },
      }),
      {
        code: 'UserError',
        message: 'A required property is missing.; Required: properties.environmentId is required',
      },
    ],
    ['<html>Bad gateway</html>', { message: '<html>Bad gateway</html>' }],
    ['', {}],
    [undefined, {}],
    ['42', {}],
  ])('%s', (text, expected) => {
    expect(parseArmErrorBody(text)).toEqual(expected);
  });

  it('bounds a long non-JSON body', () => {
    expect(parseArmErrorBody('x'.repeat(1000)).message).toHaveLength(301);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://arm/x?api-version=2025-12-01', 'https://arm/x?api-version=2025-12-01'],
    [
      'https://arm/x?api-version=1&$skipToken=abc&sig=secret',
      'https://arm/x?api-version=1&%24skipToken=REDACTED&sig=REDACTED',
    ],
    ['https://arm/x', 'https://arm/x'],
    ['not a url?sig=secret', 'not a url'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

function sdkRestError(status: number, body: string, headers: Record<string, string> = {}): RestError {
  const request = createPipelineRequest({ url: JOB_URL, method: 'PUT' });
  return new RestError('SDK message', {
    code: 'SdkCode',
    statusCode: status,
    request,
    response: { status, headers: createHttpHeaders(headers), bodyAsText: body, request },
  });
}

describe('toAzureRequestError', () => {
  it('turns the SDK RestError into AzureRequestError with code, message and ids', () => {
    const converted = toAzureRequestError(
      sdkRestError(404, JSON.stringify(RECORDED_404), {
        'x-ms-request-id': '86be4031-32d1-4fce-b3ae-59766783ee55',
        'x-ms-correlation-request-id': 'corr-1',
      }),
    ) as AzureRequestError;
    expect(converted).toBeInstanceOf(AzureRequestError);
    expect(converted).toMatchObject({
      method: 'PUT',
      url: JOB_URL,
      status: 404,
      code: 'ParentResourceNotFound',
      serviceMessage: RECORDED_404.error.message,
      requestId: '86be4031-32d1-4fce-b3ae-59766783ee55',
      correlationId: 'corr-1',
      transient: false,
    });
    expect(converted.message).toContain('failed with 404 ParentResourceNotFound');
    expect(converted.cause).toBeInstanceOf(RestError);
  });

  it('marks throttling as transient and falls back to x-request-id', () => {
    const converted = toAzureRequestError(
      sdkRestError(429, '', { 'x-request-id': 'r-2' }),
    ) as AzureRequestError;
    expect(converted).toMatchObject({ status: 429, requestId: 'r-2', transient: true });
  });

  it('uses the RestError status when there is no response', () => {
    const error = new RestError('gone', {
      statusCode: 410,
      code: 'Gone',
      request: createPipelineRequest({ url: JOB_URL }),
    });
    expect(toAzureRequestError(error)).toMatchObject({ status: 410, code: 'Gone', method: 'GET' });
  });

  it('leaves errors without an HTTP answer as they are', () => {
    const network = new RestError('connect ECONNREFUSED', { code: 'ECONNREFUSED' });
    const plain = new Error('boom');
    const already = new AzureRequestError({ method: 'GET', url: 'u', status: 500 });
    expect(toAzureRequestError(network)).toBe(network);
    expect(toAzureRequestError(plain)).toBe(plain);
    expect(toAzureRequestError(already)).toBe(already);
    expect(toAzureRequestError('text')).toBe('text');
  });

  it('withAzureErrors converts what the operation throws and passes results through', async () => {
    await expect(withAzureErrors(async () => 7)).resolves.toBe(7);
    await expect(
      withAzureErrors(async () => {
        throw sdkRestError(409, '{"error":{"code":"Conflict","message":"busy"}}');
      }),
    ).rejects.toMatchObject({ name: 'AzureRequestError', status: 409, code: 'Conflict' });
  });
});
