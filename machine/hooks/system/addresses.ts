// Addresses and selectors of the ZKsync system contracts that run as hooks (reference §6,
// `system_hooks/src/addresses_constants.rs`).
export { BOOTLOADER_FORMAL_ADDRESS, L1_MESSENGER_ADDRESS } from '../../system/l2-logs.ts';

/** Contract deployer: `setBytecodeDetailsEVM`, callable by the complex upgrader only. */
export const CONTRACT_DEPLOYER_ADDRESS = 0x8006n;
/** L2 base token: withdrawals of the chain's base token to L1. */
export const L2_BASE_TOKEN_ADDRESS = 0x800an;
/** Complex upgrader: the `from` of upgrade transactions that install code. */
export const COMPLEX_UPGRADER_ADDRESS = 0x800fn;

/** sendToL1(bytes) */
export const SEND_TO_L1_SELECTOR = 0x62f84b24;
/** withdraw(address) */
export const WITHDRAW_SELECTOR = 0x51cff8d9;
/** withdrawWithMessage(address,bytes) */
export const WITHDRAW_WITH_MESSAGE_SELECTOR = 0x84bc3eb0;
/** finalizeEthWithdrawal(uint256,uint256,uint16,bytes,bytes32[]): the first 4 bytes of a withdrawal message. */
export const FINALIZE_ETH_WITHDRAWAL_SELECTOR = 0x6c0960f9;
/** setBytecodeDetailsEVM(address,bytes32,uint32,bytes32) */
export const SET_BYTECODE_DETAILS_EVM_SELECTOR = 0xf6eca0b0;

/** keccak("L1MessageSent(address,bytes32,bytes)") */
export const L1_MESSAGE_SENT_TOPIC = 0x3a36e47291f4201faf137fab081d92295bce2d53be2c6ca68ba82c7faa9ce241n;
