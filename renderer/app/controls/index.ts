/**
 * Small accessible building blocks shared by the views, one file per primitive. Errors are always
 * words with an icon, never colour alone. The overlays' styles (popover, modal, toasts) load here.
 */
export { Spinner, useAction, ErrorText } from './feedback';
export { Field } from './field';
export { Switch } from './switch';
export { Segmented } from './segmented';
export { Disclosure } from './disclosure';
export { Banner, EmptyState } from './banner';
export { modalOpen, Modal, ConfirmDialog } from './modal';
export { Popover } from './popover';
/** Text fields, selects and editable content: where typing must not trigger shortcuts (one check, shortcuts/typing.ts). */
export { isTypingTarget } from '../../features/shortcuts/typing';
import './overlays.css';
