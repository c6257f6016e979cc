import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../../platform/access/access.decorators';
import type { AuthContext } from '../../../platform/access/auth-context';
import { AssayException } from '../../../platform/errors/assay.exception';
import { answerEpsilonQuestion, EpsilonQuestionError, type EpsilonAnswer } from './epsilon-calculator';
import { EpsilonQuestionDto, PrivacyBudgetDto } from './privacy-budgets.dto';
import { PrivacyBudgetsService, type PrivacyBudgetView } from './privacy-budgets.service';

/** Differential privacy before training: what ε a configuration spends, and the budgets of dataset versions. */
@ApiTags('privacy')
@ApiBearerAuth()
@Controller()
export class PrivacyBudgetsController {
  constructor(private readonly budgets: PrivacyBudgetsService) {}

  @Post('privacy/epsilon')
  @HttpCode(200)
  @Allow('read', 'Policy')
  @ApiOkResponse({ description: 'The (ε, δ) a DP-SGD configuration would spend (RDP accountant), or the σ that reaches a target ε; both conversions.' })
  epsilon(@Body() question: EpsilonQuestionDto): EpsilonAnswer {
    try {
      return answerEpsilonQuestion(question);
    } catch (error) {
      if (error instanceof EpsilonQuestionError) throw new AssayException('PRIVACY_PARAMETERS_INVALID', error.message, { problems: error.problems });
      throw error;
    }
  }

  @Get('datasets/:id/versions/:version/privacy-budget')
  @Allow('read', 'Dataset')
  @ApiOkResponse({ description: 'The version’s privacy budget, what DP-SGD runs have spent of it (RDP composition) and what remains.' })
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number): Promise<PrivacyBudgetView> {
    return this.budgets.get(auth, id, version);
  }

  @Put('datasets/:id/versions/:version/privacy-budget')
  @Allow('read', 'Dataset')
  @ApiOkResponse({ description: 'Sets the budget (owner or compliance officer; only a compliance officer may raise one; never below what was spent).' })
  set(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() body: PrivacyBudgetDto,
  ): Promise<PrivacyBudgetView> {
    return this.budgets.set(auth, id, version, body);
  }
}
