/**
 * Whether a photo is one the person picked. Today a picked photo is a kept one (`kept` in
 * run.json); flags (`flag: 'pick' | 'reject' | null`) replace `kept`, and then this one function
 * changes to `image.flag === 'pick'`.
 */
export function isPicked(image: { kept?: boolean }): boolean {
  return image.kept === true;
}
