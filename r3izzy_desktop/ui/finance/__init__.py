"""Gestão Financeira: the period's figures and charts, and the Relatório de Pacotes."""
