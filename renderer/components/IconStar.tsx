import { Svg } from '../app/icons';

/** A five-point star; filled when picked. Decorative (the button carries the name). */
export function IconStar({
  size = 16,
  filled = false,
  className,
}: {
  size?: number;
  filled?: boolean;
  className?: string;
}) {
  return (
    <Svg size={size} className={className} fill={filled ? 'currentColor' : 'none'}>
      <path d="M12 3.6l2.55 5.2 5.72.83-4.14 4.03.98 5.7L12 16.67l-5.11 2.69.98-5.7-4.14-4.03 5.72-.83z" />
    </Svg>
  );
}
