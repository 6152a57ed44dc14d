namespace StreamingFeatures.Sources.Synthetic;

/// <summary>
/// Zipf-distributed integers in [1, n] by rejection-inversion (Hörmann and Derflinger, 1996): O(1) memory and time
/// per sample for any n, unlike a CDF table.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double _exponent;
    private readonly double _hIntegralX1;
    private readonly double _hIntegralN;
    private readonly double _s;
    private readonly long _n;

    public ZipfSampler(long n, double exponent)
    {
        _exponent = exponent;
        _n = n;
        _hIntegralX1 = HIntegral(1.5) - 1.0;
        _hIntegralN = HIntegral(n + 0.5);
        _s = 2.0 - HIntegralInverse(HIntegral(2.5) - H(2.0));
    }

    /// <summary>A sample in [1, n] from <paramref name="uniform"/> draws in [0, 1).</summary>
    public long Sample(Func<double> uniform)
    {
        while (true)
        {
            double u = _hIntegralN + (uniform() * (_hIntegralX1 - _hIntegralN));
            double x = HIntegralInverse(u);
            long k = (long)(x + 0.5);
            k = Math.Clamp(k, 1, _n);
            if (k - x <= _s || u >= HIntegral(k + 0.5) - H(k))
            {
                return k;
            }
        }
    }

    private double H(double x) => Math.Exp(-_exponent * Math.Log(x));

    private double HIntegral(double x)
    {
        double logX = Math.Log(x);
        return Helper2((1.0 - _exponent) * logX) * logX;
    }

    private double HIntegralInverse(double x)
    {
        double t = Math.Max(-1.0, x * (1.0 - _exponent));
        return Math.Exp(Helper1(t) * x);
    }

    /// <summary>log(1 + x) / x, accurate near 0.</summary>
    private static double Helper1(double x) => Math.Abs(x) > 1e-8 ? Math.Log(1.0 + x) / x : 1.0 - (x * (0.5 - (x * (1.0 / 3.0 - (0.25 * x)))));

    /// <summary>(exp(x) - 1) / x, accurate near 0.</summary>
    private static double Helper2(double x) => Math.Abs(x) > 1e-8 ? (Math.Exp(x) - 1.0) / x : 1.0 + (x * 0.5 * (1.0 + (x * (1.0 / 3.0) * (1.0 + (0.25 * x)))));
}
