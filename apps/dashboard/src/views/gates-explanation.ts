import { element } from '../dom.js';

/**
 * What the two GRU gates do, in general terms. Deliberately free of measured numbers: the
 * measured facts are the report's findings, listed right after it.
 */
export function gatesExplanation(): HTMLElement {
  const formula = (text: string) => element('code', { class: 'formula' }, text);
  return element(
    'div',
    { class: 'explanation', 'data-testid': 'gates-explanation' },
    element(
      'p',
      {},
      'A GRU keeps one state h and, at each step, mixes it with a candidate n computed from the input and the state: ',
      formula('h′ = (1 − z) ⊙ n + z ⊙ h'),
      '.',
    ),
    element(
      'p',
      {},
      element('strong', {}, 'The update gate z'),
      ' interpolates between keeping h and taking the candidate. Where z is near 1 the state is copied ' +
        'forward unchanged, and the term z ⊙ h is a direct path from step to step that passes through no ' +
        'weight matrix and no squashing function — the path that carries gradients back over long distances. ' +
        'Without it (z ≡ 0, so h′ = n) every step goes through tanh and the recurrent weights, as in a vanilla RNN.',
    ),
    element(
      'p',
      {},
      element('strong', {}, 'The reset gate r'),
      ' decides how much of h enters the candidate: ',
      formula('n = tanh(W x + r ⊙ (U h + b))'),
      ' (reset after the product, as PyTorch and cuDNN) or ',
      formula('n = tanh(W x + U (r ⊙ h) + b)'),
      ' (reset before, as in the original paper). With r near 0 the candidate is computed from the input ' +
        'alone, so the cell can start a fresh summary; with r near 1 it is a plain RNN step. It shapes what the ' +
        'new content may depend on, not how much of the old state survives — that is the update gate’s job.',
    ),
    element(
      'p',
      { class: 'hint' },
      'The ablations remove one gate at a time: gru-no-reset fixes r ≡ 1, gru-no-update fixes z ≡ 0, and mgu ' +
        '(minimal gated unit) uses one gate for both roles. What removing each one costs here is measured below.',
    ),
  );
}
