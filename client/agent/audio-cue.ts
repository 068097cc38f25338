/**
 * The sound of a new offer: two short tones made with WebAudio (no audio file). Browsers only let
 * a page play sound after the user has interacted with it, so `unlock()` is called from the
 * log-in and ready clicks, and `play()` later works while the agent looks elsewhere.
 */
export class AudioCue {
  private context: AudioContext | undefined;

  unlock(): void {
    try {
      this.context ??= new AudioContext();
      if (this.context.state === 'suspended') void this.context.resume();
    } catch (error) {
      // No audio device or no WebAudio: the offer is still shown.
      console.warn('agent console: no audio', error);
    }
  }

  play(): void {
    this.unlock();
    const context = this.context;
    if (context === undefined) return;
    const start = context.currentTime;
    [880, 1175].forEach((frequency, index) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      const at = start + index * 0.18;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.16);
    });
  }
}
