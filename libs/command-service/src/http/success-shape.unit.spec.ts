import { shapeSuccess } from './success-shape';

const generic = { orderId: 't-1', version: 1, consistencyToken: 'tok' };

describe('shapeSuccess', () => {
  it('leaves the generic answer alone when the descriptor asks for nothing else', () => {
    expect(shapeSuccess({ description: 'd' }, 'orderId', 201, generic)).toEqual({
      status: 201,
      body: generic,
      headers: {},
    });
  });

  it('answers 202 with the fixed fields and a Location naming the new resource', () => {
    const shaped = shapeSuccess(
      {
        description: 'd',
        status: 202,
        fields: { status: 'pending' },
        location: '/orders/:orderId',
      },
      'orderId',
      201,
      generic,
    );
    expect(shaped).toEqual({
      status: 202,
      body: { ...generic, status: 'pending' },
      headers: { location: '/orders/t-1' },
    });
  });

  it('never reshapes a problem', () => {
    const problem = { status: 404, code: 'X' };
    const spec = { description: 'd', status: 202 as const, fields: { status: 'pending' } };
    expect(shapeSuccess(spec, 'orderId', 404, problem)).toEqual({
      status: 404,
      body: problem,
      headers: {},
    });
  });
});
