export * from './arm-id';
export {
  findJsonSyntaxErrorOffset,
  locateJsonSyntaxError,
  positionAt,
  type TextPosition,
} from './json-error';
export {
  checkLabel,
  checkResourceGroupName,
  checkResourceName,
  checkSubscriptionId,
  checkVersion,
  checkWorkspaceName,
} from './names';
export * from './resolve';
export * from './uri';
