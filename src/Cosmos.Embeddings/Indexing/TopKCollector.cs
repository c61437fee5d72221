using System.Buffers;
using System.Runtime.CompilerServices;

namespace Cosmos.Embeddings.Indexing;

/// <summary>
/// A bounded min-heap of the best <c>capacity</c> (score, row) pairs seen so far: O(n log k) for n offers and
/// no sort of the whole set. Equal scores are ordered by ordinal id, so results do not depend on row order
/// (which changes when entries are removed).
/// </summary>
internal struct TopKCollector : IDisposable
{
    private readonly string[] _ids;
    private readonly int _capacity;
    private float[] _scores;
    private int[] _rows;
    private int _count;

    public TopKCollector(int capacity, string[] ids)
    {
        _capacity = capacity;
        _ids = ids;
        _scores = ArrayPool<float>.Shared.Rent(capacity);
        _rows = ArrayPool<int>.Shared.Rent(capacity);
        _count = 0;
    }

    public readonly int Count => _count;

    /// <summary>Gets the score a candidate must reach to be considered; -∞ until the heap is full.</summary>
    public readonly float Threshold
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _count < _capacity ? float.NegativeInfinity : _scores[0];
    }

    public void Offer(float score, int row)
    {
        if (_count < _capacity)
        {
            int i = _count++;
            _scores[i] = score;
            _rows[i] = row;
            SiftUp(i);
            return;
        }

        if (!IsBetter(score, row, _scores[0], _rows[0]))
        {
            return;
        }

        _scores[0] = score;
        _rows[0] = row;
        SiftDown(0);
    }

    /// <summary>Empties the heap into <paramref name="rows"/> and <paramref name="scores"/>, best first.</summary>
    public void Drain(Span<int> rows, Span<float> scores)
    {
        while (_count > 0)
        {
            int last = --_count;
            rows[last] = _rows[0];
            scores[last] = _scores[0];
            _scores[0] = _scores[last];
            _rows[0] = _rows[last];
            SiftDown(0);
        }
    }

    public void Dispose()
    {
        if (_scores is not null)
        {
            ArrayPool<float>.Shared.Return(_scores);
            ArrayPool<int>.Shared.Return(_rows);
            _scores = null!;
            _rows = null!;
        }
    }

    private readonly bool IsBetter(float score, int row, float otherScore, int otherRow)
        => score > otherScore || (score == otherScore && string.CompareOrdinal(_ids[row], _ids[otherRow]) < 0);

    private readonly void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!IsBetter(_scores[parent], _rows[parent], _scores[i], _rows[i]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private readonly void SiftDown(int i)
    {
        while (true)
        {
            int left = (2 * i) + 1;
            if (left >= _count)
            {
                break;
            }

            int worst = left;
            int right = left + 1;
            if (right < _count && IsBetter(_scores[left], _rows[left], _scores[right], _rows[right]))
            {
                worst = right;
            }

            if (!IsBetter(_scores[i], _rows[i], _scores[worst], _rows[worst]))
            {
                break;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private readonly void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_rows[a], _rows[b]) = (_rows[b], _rows[a]);
    }
}
