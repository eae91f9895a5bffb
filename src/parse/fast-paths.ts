/**
 * Whether the hand-written HCL, CloudFormation-YAML and JSON parsers are tried before the reference
 * parsers (tree-sitter, the yaml library, jsonc-parser). Always on in use; tests switch it off to check
 * that a whole scan reports exactly the same with and without them.
 */
export const fastPaths = { enabled: true };
