/** The export feature's line icons, drawn on the app's 24 px frame (renderer/app/icons.tsx). */
import { Svg, type IconProps } from '../../app/icons';

/** a box with an arrow leaving it: export */
export const IconExport = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 3v12" />
    <path d="M7.5 7.5L12 3l4.5 4.5" />
    <path d="M5 12v7a2 2 0 002 2h10a2 2 0 002-2v-7" />
  </Svg>
);

/** two sheets: copy */
export const IconCopy = (p: IconProps) => (
  <Svg {...p}>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 00-2-2H6a2 2 0 00-2 2v8a2 2 0 002 2h2" />
  </Svg>
);

/** four arrows: drag out */
export const IconDrag = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 3v18M3 12h18" />
    <path d="M9 6l3-3 3 3M9 18l3 3 3-3M6 9l-3 3 3 3M18 9l3 3-3 3" />
  </Svg>
);
