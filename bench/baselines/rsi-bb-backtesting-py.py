"""
The rsi-bb strategy written for backtesting.py (https://github.com/kernc/backtesting.py), the Python
library users pick, as the end-to-end bench's second yardstick for `tradeops backtest --data FILE`:
read the CSV with pandas, RSI (Wilder) and Bollinger Bands as pandas columns through `self.I`, and
the same rules as tradeops' rsi-bb with bands: flat -> buy when RSI < 30 and the close is below the
lower band; long -> close when RSI > 70. Orders fill at the next open (backtesting.py's default, as
in tradeops), fee 0.1% of each fill, all cash in. Prints one JSON object: trades, final equity.

    python3 bench/baselines/rsi-bb-backtesting-py.py FILE.csv

Needs numpy, pandas and backtesting ≥ 0.6 (FractionalBacktest) (pip install backtesting). Not part of the product.
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from backtesting import Strategy
from backtesting.lib import FractionalBacktest

RSI_PERIOD, OVERSOLD, OVERBOUGHT, BB_PERIOD, BB_STD = 14, 30, 70, 20, 2


def rsi(close):
    """Wilder's RSI: the first average is the mean of the first `period` changes, then smoothing."""
    delta = pd.Series(close).diff()
    gain = delta.clip(lower=0).to_numpy()
    loss = (-delta.clip(upper=0)).to_numpy()
    avg_gain = np.full(len(close), np.nan)
    avg_loss = np.full(len(close), np.nan)
    if len(close) > RSI_PERIOD:
        avg_gain[RSI_PERIOD] = gain[1:RSI_PERIOD + 1].mean()
        avg_loss[RSI_PERIOD] = loss[1:RSI_PERIOD + 1].mean()
        alpha = 1.0 / RSI_PERIOD
        g = pd.Series(np.concatenate(([avg_gain[RSI_PERIOD]], gain[RSI_PERIOD + 1:])))
        l = pd.Series(np.concatenate(([avg_loss[RSI_PERIOD]], loss[RSI_PERIOD + 1:])))
        avg_gain[RSI_PERIOD:] = g.ewm(alpha=alpha, adjust=False).mean().to_numpy()
        avg_loss[RSI_PERIOD:] = l.ewm(alpha=alpha, adjust=False).mean().to_numpy()
    with np.errstate(divide='ignore', invalid='ignore'):
        return 100 - 100 / (1 + avg_gain / avg_loss)


def lower_band(close):
    s = pd.Series(close)
    return (s.rolling(BB_PERIOD).mean() - BB_STD * s.rolling(BB_PERIOD).std(ddof=0)).to_numpy()


class RsiBb(Strategy):
    def init(self):
        self.rsi = self.I(rsi, self.data.Close)
        self.lower = self.I(lower_band, self.data.Close)

    def next(self):
        r = self.rsi[-1]
        if not self.position:
            if r < OVERSOLD and self.data.Close[-1] < self.lower[-1]:
                self.buy()
        elif r > OVERBOUGHT:
            self.position.close()


def main():
    if len(sys.argv) != 2:
        sys.stderr.write('usage: rsi-bb-backtesting-py.py FILE.csv\n')
        sys.exit(2)
    df = pd.read_csv(sys.argv[1])
    df.columns = [c.strip().lower() for c in df.columns]
    time_col = df.columns[0]
    df.index = pd.to_datetime(df[time_col], unit='ms')
    df = df.rename(columns={'open': 'Open', 'high': 'High', 'low': 'Low', 'close': 'Close', 'volume': 'Volume'})
    df = df[['Open', 'High', 'Low', 'Close', 'Volume']]
    warnings.simplefilter('ignore')
    # Bitcoin trades in fractions: backtesting.py's own FractionalBacktest (whole satoshis).
    bt = FractionalBacktest(df, RsiBb, cash=10_000, commission=0.001, finalize_trades=True)
    stats = bt.run()
    print(json.dumps({'trades': int(stats['# Trades']), 'finalEquity': float(stats['Equity Final [$]'])}))


main()
