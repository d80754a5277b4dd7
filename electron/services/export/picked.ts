/** Whether a photo is one the person picked (its flag in run.json; an old `kept` star reads as Pick). */
export function isPicked(image: { flag?: 'pick' | 'reject' | null }): boolean {
  return image.flag === 'pick';
}
