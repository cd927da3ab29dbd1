import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { fieldProblems } from './model'

describe('the server’s field problems', () => {
  it('are grouped by place without the body. prefix', () => {
    const err = new ApiError(422, 'invalid_kpi_template', 'the KPI template has 3 problems', [
      { location: 'body.metrics[1].weight', message: 'weight 0 is not 1 to 100 percentage points' },
      { location: 'body.metrics', message: 'the weights sum to 90 %, not 100 %' },
      { location: 'body.metrics[1].weight', message: 'second' },
      { message: 'no place' },
    ])
    expect(fieldProblems(err)).toEqual({
      'metrics[1].weight': ['weight 0 is not 1 to 100 percentage points', 'second'],
      metrics: ['the weights sum to 90 %, not 100 %'],
    })
    expect(fieldProblems(new Error('x'))).toEqual({})
  })
})
