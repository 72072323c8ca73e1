// Constants of the zksync profile (reference §2.7, `basic_bootloader/src/bootloader/constants.rs`)
// and the names of its validation errors (§2.11).
import { MAX_U64 } from '../../common/bytes.ts';

export { BOOTLOADER_FORMAL_ADDRESS } from '../../system/l2-logs.ts';

export const MAX_BLOCK_GAS_LIMIT = MAX_U64 / 256n;
/** 2^36: native beyond this is withheld from execution and reclaimed afterwards (§7.2). */
export const MAX_NATIVE_COMPUTATIONAL = 1n << 36n;

export const L2_TX_INTRINSIC_GAS = 18_000n;
export const L2_TX_INTRINSIC_NATIVE = 4_000n;
export const L1_TX_INTRINSIC_GAS = 11_000n;
export const L1_TX_INTRINSIC_NATIVE = 10_000n;
/** The L1-transaction result log (§5.4). */
export const L1_TX_INTRINSIC_PUBDATA = 88n;
export const L2_TX_INTRINSIC_PUBDATA = 0n;
export const DEPLOYMENT_TX_EXTRA_INTRINSIC_GAS = 32_000;
/** native_per_gas of an L1→L2 transaction is ceil(gas_price / 10). */
export const L1_TX_NATIVE_PRICE = 10n;
export const UPGRADE_TX_NATIVE_PER_GAS = 10_000n;
export const ACCESS_LIST_ADDRESS_GAS = 2_400;
export const ACCESS_LIST_STORAGE_KEY_GAS = 1_900;
export const MAX_PAYMASTER_CONTEXT_LEN_BYTES = 1056;
/** Where the transaction sits in account-method calldata (after selector, two hashes, offset). */
export const TX_CALLDATA_OFFSET = 0x60;
/** An L2→L1 user message costs its bytes, a length prefix and its log (§5.3). */
export const L2_TO_L1_LOG_BYTES = 88;

// Account-abstraction and paymaster methods (§2.6).
export const VALIDATE_TRANSACTION_SELECTOR = 0x202bcce7;
export const PAY_FOR_TRANSACTION_SELECTOR = 0xe2f318e3;
export const PREPARE_FOR_PAYMASTER_SELECTOR = 0xa28c1aee;
export const EXECUTE_TRANSACTION_SELECTOR = 0xdf9c1589;
export const VALIDATE_AND_PAY_FOR_PAYMASTER_SELECTOR = 0x038a24bc;
export const POST_TRANSACTION_SELECTOR = 0x817b17f0;
/** paymasterInput selectors of the two standard flows. */
export const PAYMASTER_GENERAL_FLOW_SELECTOR = 0x8c5a3445;
export const PAYMASTER_APPROVAL_BASED_FLOW_SELECTOR = 0x949431dc;
export const ERC20_ALLOWANCE_SELECTOR = 0xdd62ed3e;
export const ERC20_APPROVE_SELECTOR = 0x095ea7b3;

/**
 * The named validation errors (§2.11) this profile raises. A transaction rejected with one leaves
 * no trace in state. Declared in the reference but never raised here: InvalidStructure (the
 * decoder reports structure as InvalidEncoding, as the reference does), GasPriceLessThanBasefee
 * (BaseFeeGreaterThanMaxFee covers it), CallGasCostMoreThanGasLimit, InvalidChainId (the chain id
 * always comes from the block), AccessListNotSupported, InvalidReturndataLength (InvalidMagic
 * covers it) and NonceNotIncreased (the bootloader bumps a contract account's nonce itself).
 */
export type ZkValidationError =
  | 'InvalidEncoding'
  | 'PriorityFeeGreaterThanMaxFee'
  | 'BaseFeeGreaterThanMaxFee'
  | 'CallerGasLimitMoreThanBlock'
  | 'RejectCallerWithCode'
  | 'LackOfFundForMaxFee'
  | 'OverflowPaymentInTransaction'
  | 'NonceOverflowInTransaction'
  | 'NonceTooHigh'
  | 'NonceTooLow'
  | 'MalleableSignature'
  | 'IncorrectFrom'
  | 'CreateInitCodeSizeLimit'
  | 'GasPerPubdataTooHigh'
  | 'BlockGasLimitTooHigh'
  | 'UpgradeTxNotFirst'
  | 'Revert'
  | 'ReceivedInsufficientFees'
  | 'InvalidMagic'
  | 'OutOfGasDuringValidation'
  | 'OutOfNativeResourcesDuringValidation'
  | 'NonceUsedAlready'
  | 'PaymasterReturnDataTooShort'
  | 'PaymasterInvalidMagic'
  | 'PaymasterContextInvalid'
  | 'PaymasterContextOffsetTooLong'
  | 'UpgradeTxFailed';
