/** Line icons of the mask editor, drawn like renderer/app/icons.tsx (24 px grid, 1.75 stroke). */
import { Svg, type IconProps as P } from '../../app/icons';

export { IconEye, IconEyeOff, IconX as IconClose } from '../../app/icons';

export const IconBrush = (p: P) => (
  <Svg {...p}>
    <path d="M19.5 3.5c-2.6 1.6-6.6 5.6-8.8 8.6l1.2 1.2c3-2.2 7-6.2 8.6-8.8a.72.72 0 0 0-1-1z" />
    <path d="M9.6 13.2c-1.9.1-3.1 1.3-3.4 3-.2 1.3-.9 2.3-2.2 2.8 2.7 1.4 6.3.9 7.5-1.4.5-1 .5-2-.2-2.9z" />
  </Svg>
);

export const IconEraser = (p: P) => (
  <Svg {...p}>
    <path d="M8.5 19.5l-4.2-4.2a1.5 1.5 0 0 1 0-2.1l8.6-8.6a1.5 1.5 0 0 1 2.1 0l4.4 4.4a1.5 1.5 0 0 1 0 2.1l-8.4 8.4z" />
    <path d="M8.5 19.5H20M9 9l6 6" />
  </Svg>
);

export const IconUndo = (p: P) => (
  <Svg {...p}>
    <path d="M8.5 5L4 9.5 8.5 14" />
    <path d="M4.5 9.5h9.5a5.5 5.5 0 0 1 0 11H10" />
  </Svg>
);

export const IconRedo = (p: P) => (
  <Svg {...p}>
    <path d="M15.5 5L20 9.5 15.5 14" />
    <path d="M19.5 9.5H10a5.5 5.5 0 0 0 0 11h4" />
  </Svg>
);

/** Clear: an empty frame with a diagonal. */
export const IconClear = (p: P) => (
  <Svg {...p}>
    <rect x="4" y="4" width="16" height="16" rx="3" />
    <path d="M8.5 8.5l7 7M15.5 8.5l-7 7" />
  </Svg>
);

/** Invert: a circle half filled. */
export const IconInvert = (p: P) => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="8" />
    <path d="M12 4a8 8 0 0 1 0 16z" fill="currentColor" />
  </Svg>
);

/** Fill: a filled frame. */
export const IconFill = (p: P) => (
  <Svg {...p}>
    <rect x="4" y="4" width="16" height="16" rx="3" />
    <rect x="7.5" y="7.5" width="9" height="9" rx="1.2" fill="currentColor" stroke="none" />
  </Svg>
);

export const IconZoomIn = (p: P) => (
  <Svg {...p}>
    <path d="M12 5v14M5 12h14" />
  </Svg>
);

export const IconZoomOut = (p: P) => (
  <Svg {...p}>
    <path d="M5 12h14" />
  </Svg>
);

/** Fit: four corners. */
export const IconFit = (p: P) => (
  <Svg {...p}>
    <path d="M4 9V5.5A1.5 1.5 0 0 1 5.5 4H9M15 4h3.5A1.5 1.5 0 0 1 20 5.5V9M20 15v3.5a1.5 1.5 0 0 1-1.5 1.5H15M9 20H5.5A1.5 1.5 0 0 1 4 18.5V15" />
  </Svg>
);

export const IconKeyboard = (p: P) => (
  <Svg {...p}>
    <rect x="3" y="6" width="18" height="12" rx="2" />
    <path d="M7 10h.01M10 10h.01M13 10h.01M16 10h.01M7.5 14h9" />
  </Svg>
);

export const IconOpacity = (p: P) => (
  <Svg {...p}>
    <path d="M12 3.5c3 3.6 6 7 6 10.3a6 6 0 0 1-12 0c0-3.3 3-6.7 6-10.3z" />
    <path d="M6.2 14.5h11.6M7.5 17.5h9" />
  </Svg>
);
